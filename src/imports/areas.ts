import { z } from 'zod';
import type { Area } from '../domain/types.js';
import { decile, decimal, latitude, longitude, matching, optional, required, text } from './cells.js';
import type { CsvSource } from './csv.js';
import { parseRows, rejectRepeats, templateFormat, type ChooseFormat, type ParseOptions, type RowStream } from './rows.js';

/** A demand area (an LSOA), matched by code: the domain's area before it has an id. */
export type AreaImportRow = Omit<Area, 'id'>;

export const areaTemplateColumns = ['code', 'name', 'lat', 'lon', 'under5Population', 'deprivationDecile', 'idaciDecile'] as const;

const areaSchema = z
  .object({
    code: required(matching(/^[EW]0\d{7}$/, 'an LSOA code such as E01006512')),
    name: required(text(200)),
    lat: required(latitude),
    lon: required(longitude),
    under5Population: required(decimal({ min: 0, max: 100_000, decimals: 0 })),
    deprivationDecile: required(decile),
    idaciDecile: optional(decile),
  })
  .transform((cells): AreaImportRow => ({ ...cells, idaciDecile: cells.idaciDecile ?? null }));

const chooseTemplate = templateFormat('areas', areaTemplateColumns, areaTemplateColumns.slice(0, -1), areaSchema);

const chooseAreaFormat: ChooseFormat<AreaImportRow> = (header) => {
  const chosen = chooseTemplate(header);
  return Array.isArray(chosen) ? chosen : rejectRepeats(chosen, (area) => ({ key: area.code, column: 'code' }));
};

/** Areas from our template; a code repeated in the file is an error. */
export function parseAreas(source: CsvSource, options?: ParseOptions): RowStream<AreaImportRow> {
  return parseRows(source, chooseAreaFormat, options);
}
