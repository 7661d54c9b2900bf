/**
 * Identifiers: type-prefixed ULIDs that sort in creation order, bearer tokens and request ids.
 */
package org.loom.protocol.id;
