import { docExamples } from './doc-examples.js';

// Part 3 of 3 of the docs' examples (doc-examples.ts deals the pages).
docExamples(2, 3);
