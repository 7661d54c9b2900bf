/** The envelope-service's read model of identities (types and keys), kept from the gateway's identity changes. */
package org.loom.envelope.identity;
