// A whole page from the network and what the route read for it: pure, so that the evaluation pool's
// workers draw pages off the event loop (src/evaluation-worker.ts). The figures are the evaluation and
// comparison the API answers with: the same domain functions, on the same parameters as of the same day.
import { type ComparedOption, compareOptions } from '../domain/comparison.js';
import { evaluateScenario } from '../domain/evaluation.js';
import { siteFigures } from '../domain/network-csv.js';
import { summariseNetwork } from '../domain/network.js';
import { resolveParameters } from '../domain/parameters.js';
import type { Network } from '../domain/types.js';
import type { ActionError, ParameterOverrides, ScenarioAction } from '../schemas/scenario.js';
import { comparePage } from './compare-page.js';
import { networkMap, scenarioMap } from './map-data.js';
import { type CouncilRef, networkPage, type ScenarioRef } from './network-page.js';
import { scenarioPage } from './scenario-page.js';

/** A stored scenario as a page shows it. */
export interface PageScenario {
  id: string;
  name: string;
  description: string;
  parameters: ParameterOverrides;
  actions: ScenarioAction[];
}

interface PageContext {
  council: CouncilRef;
  /** The council's scenarios, linked from every page. */
  scenarios: ScenarioRef[];
}

export type PageRequest = PageContext & ({ page: 'network' } | { page: 'scenario'; scenario: PageScenario } | { page: 'compare'; compared: PageScenario[] });

export type RenderedPage = { ok: true; html: string } | { ok: false; errors: ActionError[]; scenario: { id: string; name: string } };

function evaluate(network: Network, scenario: PageScenario, asOf: string) {
  return evaluateScenario(network, scenario.actions, resolveParameters(scenario.parameters, asOf));
}

/** The page `request` names; `asOf` is the day the scenarios' parameters are resolved for, as the API's evaluations are. */
export function renderPage(network: Network, request: PageRequest, asOf: string): RenderedPage {
  const { council, scenarios } = request;
  switch (request.page) {
    case 'network':
      return {
        ok: true,
        html: networkPage({ council, scenarios, summary: summariseNetwork(network, asOf), sites: siteFigures(network, asOf), map: networkMap(network) }),
      };
    case 'scenario': {
      const { scenario } = request;
      const result = evaluate(network, scenario, asOf);
      if (!result.ok) return { ok: false, errors: result.errors, scenario: { id: scenario.id, name: scenario.name } };
      const { evaluation } = result;
      return { ok: true, html: scenarioPage({ council, scenarios, scenario, evaluation, map: scenarioMap(network, scenario.actions, evaluation) }) };
    }
    case 'compare': {
      const options: ComparedOption[] = [];
      for (const scenario of request.compared) {
        const result = evaluate(network, scenario, asOf);
        if (!result.ok) return { ok: false, errors: result.errors, scenario: { id: scenario.id, name: scenario.name } };
        options.push({ id: scenario.id, name: scenario.name, evaluation: result.evaluation });
      }
      const comparison = compareOptions(options, { includeBaseline: true });
      const maps = [networkMap(network), ...request.compared.map((scenario, index) => scenarioMap(network, scenario.actions, options[index]!.evaluation))];
      return { ok: true, html: comparePage({ council, scenarios, comparison, maps }) };
    }
  }
}
