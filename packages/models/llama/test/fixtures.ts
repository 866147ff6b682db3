/** The architecture-fixture checks of `@adapters/core/testing` (shared by every model package). */
export { archManifest, checkArchFixture } from '@adapters/core/testing';
