/** The audit hash chain's link format and its verification, shared by whoever appends to or checks the chain. */
package org.loom.protocol.audit;
