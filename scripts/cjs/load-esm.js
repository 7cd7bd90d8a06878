'use strict';
// Loads the ESM build of a module that needs an ESM-only package (lowdb), from the CommonJS build.
// A real import() works in Node everywhere. A CommonJS Jest run without --experimental-vm-modules
// refuses import(); its require() loads ES modules from Node 24.9 on, so that is tried next.
const { fileURLToPath } = require('node:url');

module.exports = async function loadEsm(url) {
  try {
    return await import(url);
  } catch (e) {
    if (!String(e && e.code).startsWith('ERR_VM_DYNAMIC_IMPORT')) throw e;
    try {
      return require(fileURLToPath(url));
    } catch {
      throw new Error(
        'the db option needs lowdb, an ES module, which this CommonJS Jest run cannot load: run Jest with ' +
          '--experimental-vm-modules, or on Node 24.9+ (whose Jest require()s ES modules), or leave db out (state in memory)',
      );
    }
  }
};
