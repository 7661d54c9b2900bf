/** Real infrastructure for tests. */
package org.loom.testsupport;
