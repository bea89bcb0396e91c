/** The ledger: a database record of every list sent, its vendor tasks and confirmed requests, so a list is sent at most once and resumes after a crash. */
package io.outboundbridge.ledger;
