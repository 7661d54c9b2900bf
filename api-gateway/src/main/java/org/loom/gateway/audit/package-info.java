/** The gateway's part of the audit chain: its security events. */
package org.loom.gateway.audit;
