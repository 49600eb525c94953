/** Runtime services that plugins may inject. */
package io.junction.api.runtime;
