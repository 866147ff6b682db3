export { prefixTuning, createPrefixTuning, pythonPrefixPadding, isPrefixTuningConfig, type PrefixTuningMethodOptions } from './prefix-tuning';
export { ejectPrefix } from './eject';
export { PrefixPool, type PrefixShared, isPrefixShared, poolKeyPrefix } from './pool';
export { createPrefixModule, PREFIX_GATES_CONTAINER } from './prefix-module';
export { prefixTuningOptions, prefixPlaced, type PrefixTuningOptions } from './options';
export { prefixLayout, locationScope, type PrefixLocationLayout } from './layout';
