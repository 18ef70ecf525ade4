import type { TestProject } from 'vitest/node';
import { synthTemplate } from '../../local/synth';

/** Synthesizes the stack once per test run; every emulator-backed test builds its resources from it. */
export default function setup(project: TestProject) {
  project.provide('template', synthTemplate());
}
