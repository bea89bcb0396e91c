/** Camel wiring only: the configuration class that checks the settings and binds every bean the routes use, the settings record, the start-up checks (the ledger against the outcome files), this instance in Camel's lifecycle, route file checks. */
package io.outboundbridge.wiring;
