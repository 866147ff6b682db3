export { lora } from './lora';
export { createLoraModule, gateValue, createGate } from './lora-module';
export { loraTargets, num as configNumber } from './targets';
export { kaimingUniform, normal } from './init';
export { LORA_AVERAGE_STRATEGIES, deltaWSvdAverage, negateBAverage } from './average';
export { createMergedLinearModule, mergedLinearTargets, fusedEnabled, padFused } from './merged-linear';
