/**
 * `@adapters/invertible`: MAD-X invertible adapters (NICE and GLOW coupling blocks on the
 * embeddings), compatible with the Python `adapters` library.
 *
 * @packageDocumentation
 */
export { invertible, hasInvertibleAdapter, invertibleKeyPrefix } from './invertible';
export {
  type Coupling,
  type SubnetShape,
  subnetShapes,
  createCouplingParams,
  couplingFromParams,
  niceCoupling,
  glowCoupling,
} from './coupling';
export { type Subnet, createSubnet, subnetFromParams } from './subnet';
export { invertibleOptions, subnetHidden, embeddingSize, type InvertibleOptions, type InvertibleType } from './options';
