/** The command line (run, demo, validate, keygen, sandbox, status, ledger-restore, check-routes) over the same wiring the service uses. */
package io.outboundbridge.cli;
