/** The command line (run, demo, validate, keygen, sandbox, status, check-routes) over the same wiring the service uses. */
package io.outboundbridge.cli;
