/**
 * The Node-only parts of crackstop: the only entry that imports `node:` modules.
 *
 * @module crackstop/node
 */
export {};
