/** A vendor simulator strict to SPEC.md (signature check, field rules, faults) for the demo, tests and benchmark; never on the production path. */
package io.outboundbridge.sandbox;
