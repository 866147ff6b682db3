/**
 * `@adapters/core/testing`: the conformance suites (`describeMethod`, `describeModel`) that every
 * method and model package runs — ours and third parties' — plus fixture helpers.
 */
export { describeMethod, perturbAdapter, type DescribeMethodOptions } from './describe-method';
export { describeModel, type DescribeModelOptions } from './describe-model';
export { fixturesDir, fixturePath, readFixtureTensors, fixtureManifest, maxAbsDiff, type FixtureCase } from './fixtures';
export { archManifest, checkArchFixture, type ArchFixtureOptions } from './architecture-fixtures';
