/**
 * Filters: what runs per connection ({@link io.junction.api.filter.ConnectionFilter}, for any
 * protocol) or per exchange (a contract a protocol declares, such as HTTP's request filters).
 */
package io.junction.api.filter;
