/** Delivery receipts the node writes itself into its senders' threads. */
package org.loom.protocol.receipt;
