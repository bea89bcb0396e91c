/**
 * What an operator sees of the running bridge: business metrics in Camel's Micrometer registry, readiness checks in
 * Camel's health check registry, the inboxes' poll times, and the management endpoint's address. Uses nothing of ours:
 * what it watches is handed in as suppliers by the wiring.
 */
package io.outboundbridge.observe;
