/**
 * Upstreams (named groups of endpoints), their endpoints, and balancers — the extension that
 * chooses an endpoint per connection, request, call or query.
 */
package io.junction.api.upstream;
