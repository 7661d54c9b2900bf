/** Search over stored envelopes and their threads, limited to what the caller may read. */
package org.loom.envelope.search;
