/** An HTTP client of a running LOOM node for end-to-end tests. */
package org.loom.testsupport.client;
