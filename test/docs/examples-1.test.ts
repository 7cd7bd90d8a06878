import { docExamples } from './doc-examples.js';

// Part 1 of 3 of the docs' examples (doc-examples.ts deals the pages).
docExamples(0, 3);
