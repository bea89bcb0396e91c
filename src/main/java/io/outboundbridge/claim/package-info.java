/** Several instances on one ledger: which instance works on which list (claims with a lease, renewed by a heartbeat, fenced), and the one-instance rule of an embedded ledger. */
package io.outboundbridge.claim;
