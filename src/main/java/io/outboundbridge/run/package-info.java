/** One list's run, from pick-up to filing: its state (ListRun), tasks, request plans, vendor requests, the ledger adapter, and its outcome report and files. */
package io.outboundbridge.run;
