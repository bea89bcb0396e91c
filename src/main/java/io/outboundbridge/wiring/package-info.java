/** Camel wiring only: the configuration class that checks the settings and binds every bean the routes use, the settings record, route file checks. */
package io.outboundbridge.wiring;
