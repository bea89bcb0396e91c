/** Reading a customer CSV strictly (charset, RFC 4180, exact line numbers) into rows, and writing the rejects report. */
package io.outboundbridge.csv;
