/** Test plugin beta: protocol "beta" bundling testlib version two, and connection filter "deny-all". */
module io.junction.testplugin.beta {
    requires io.junction.api;
    requires io.junction.testlib;

    provides io.junction.api.protocol.ProtocolHandlerExtension with io.junction.testplugin.beta.BetaExtension;
    provides io.junction.api.filter.FilterExtension with io.junction.testplugin.beta.DenyAllExtension;
}
