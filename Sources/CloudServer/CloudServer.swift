/// Wires configuration, stores, backends and the HTTP server together.
package enum CloudServer {}
