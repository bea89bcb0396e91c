/** The ledger database (H2 or PostgreSQL): which contents were sent, their tasks and the requests the vendor confirmed, so a list is never sent twice and resumes after a crash. */
package io.outboundbridge.ledger;
