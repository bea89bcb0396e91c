/** The vendor's model and rules: customers, profiles, row validation, phone normalisation, task names and request planning; depends on nothing of ours. */
package io.outboundbridge.task;
