import { docExamples } from './doc-examples.js';

// Part 2 of 3 of the docs' examples (doc-examples.ts deals the pages).
docExamples(1, 3);
