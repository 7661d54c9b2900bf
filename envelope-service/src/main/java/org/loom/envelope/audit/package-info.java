/** The audit hash chain: appending every service's audit records, listing them, verifying the chain. */
package org.loom.envelope.audit;
