/** The producing side of the node's audit chain: every service records audit actions through its outbox. */
package org.loom.service.audit;
