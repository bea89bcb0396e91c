/** Reading one list before anything is sent: inspection (parse, validate, duplicate ids), the spool of valid customers, and the reject policy. */
package io.outboundbridge.reading;
