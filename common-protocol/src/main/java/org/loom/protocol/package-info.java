/**
 * The LOOM protocol core: every rule of the protocol, in plain Java, shared by all services.
 */
package org.loom.protocol;
