export { reft } from './reft';
export { createReftModule } from './reft-module';
export { createReftUnit, ORTHOGONAL_BASE, ORTHOGONAL_ORIGINAL, type ReftUnit, type ReftUnitOptions } from './reft-unit';
export { readReftConfig, reftTargetsLayer, type ReftSettings } from './reft-config';
export { reftPositions, type ReftPositions } from './positions';
export { orthogonalWeight, orthogonalInit, householderQ, expmTf } from './orthogonal';
export { saveReftAdapter, loadReftAdapter, type SaveReftAdapterOptions, type LoadReftAdapterOptions } from './direft-fix';
