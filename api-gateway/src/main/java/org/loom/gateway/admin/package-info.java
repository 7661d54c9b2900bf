/** The node administrator: who presents the configured admin token. */
package org.loom.gateway.admin;
