/**
 * The envelope: its shape rules, the errors a malformed one is refused with, and a typed view of a well-formed one
 * that keeps the signed JSON untouched.
 */
package org.loom.protocol.envelope;
