/** Test plugin alpha: protocol "alpha", bundling testlib version one. */
module io.junction.testplugin.alpha {
    requires io.junction.api;
    requires io.junction.testlib;

    provides io.junction.api.protocol.ProtocolHandlerExtension with io.junction.testplugin.alpha.AlphaExtension;
}
