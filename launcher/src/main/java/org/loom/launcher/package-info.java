/** The embedded node: broker, database and all services in one process. */
package org.loom.launcher;
