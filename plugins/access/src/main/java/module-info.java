/** Junction's access filters: ip-access. */
module io.junction.plugin.access {
    requires io.junction.api;
    requires io.netty.handler;

    provides io.junction.api.filter.FilterExtension with io.junction.plugin.access.IpAccessExtension;
}
