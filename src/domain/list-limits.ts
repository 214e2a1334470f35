/**
 * Areas an answer lists at most: in each warning's evidence, and among the areas losing coverage. Every
 * area is still counted (areaCount, areasLosingCoverageCount); the lists name the first ones in the
 * network's order, so that an answer stays a size a client can read (a scenario closing hundreds of sites
 * with a wide radius would otherwise name millions of areas). A plain value, importing nothing: the
 * API's schemas state the limits with it.
 */
export const maxListedAreas = { evidence: 100, losingCoverage: 1_000 } as const;
