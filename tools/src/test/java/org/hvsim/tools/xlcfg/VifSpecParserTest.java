package org.hvsim.tools.xlcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.proto.control.VifSpec;
import org.junit.jupiter.api.Test;

class VifSpecParserTest {

    private static String error(String spec) {
        return assertThrows(XlSpecException.class, () -> VifSpecParser.parse(spec, 0)).getMessage();
    }

    @Test
    void theEmptySpecMeansDefaultsAndTheIndexIsTheDevid() throws Exception {
        assertEquals(VifSpec.newBuilder().setSpec("").setDevid(3).build(), VifSpecParser.parse("", 3));
        assertEquals(VifSpec.newBuilder().setSpec(",, ,").setDevid(1).build(), VifSpecParser.parse(",, ,", 1));
    }

    @Test
    void readsEveryKey() throws Exception {
        VifSpec v = VifSpecParser.parse("mac=00:16:3E:1:a:FF, bridge=xenbr1,ip=10.0.0.2 10.0.0.3,script=vif-route,"
                + "backend=netdom,vifname=web0,type=ioemu,model=e1000,rate=10Mb/s@20ms,mtu=9000,gatewaydev=eth1,devid=7", 0);
        assertEquals("00:16:3e:01:0a:ff", v.getMac());
        assertEquals("xenbr1", v.getBridge());
        assertEquals("10.0.0.2 10.0.0.3", v.getIp());
        assertEquals("vif-route", v.getScript());
        assertEquals("netdom", v.getBackend());
        assertEquals("web0", v.getVifname());
        assertEquals("ioemu", v.getType());
        assertEquals("e1000", v.getModel());
        assertEquals("10Mb/s@20ms", v.getRate());
        assertEquals(9000, v.getMtu());
        assertEquals("eth1", v.getGatewaydev());
        assertEquals(7, v.getDevid());
    }

    @Test
    void deprecatedAndUnsupportedKeysWarn() throws Exception {
        List<String> warnings = new ArrayList<>();
        VifSpec v = VifSpecParser.parse("netdev=eth0,accel=x,colo_sock_mirror_id=1", 0, warnings::add);
        assertEquals("eth0", v.getGatewaydev());
        assertEquals("x", v.getAccel());
        assertEquals(List.of("the netdev parameter is deprecated, please use gatewaydev instead",
                "the accel parameter for vifs is currently not supported",
                "vif parameter `colo_sock_mirror_id' (COLO) is not modelled by hvsim; ignored"), warnings);
    }

    @Test
    void refusesBadValues() {
        assertEquals("Invalid parameter `mac' in vif `mac=00:16:3e:00:00'", error("mac=00:16:3e:00:00"));
        assertEquals("Invalid parameter `mac' in vif `mac=00-16-3e-00-00-01'", error("mac=00-16-3e-00-00-01"));
        assertEquals("Invalid parameter `mac' in vif `mac=100:16:3e:00:00:01'", error("mac=100:16:3e:00:00:01"));
        assertEquals("Invalid parameter `type' in vif `type=tap'", error("type=tap"));
        assertEquals("unrecognized argument `colour=red' in vif `colour=red'", error("colour=red"));
        assertEquals("unrecognized argument `xenbr0' in vif `bridge=a,xenbr0'", error("bridge=a,xenbr0"));
        assertEquals("failed to convert \"12a\" to number for `mtu'", error("mtu=12a"));
        assertEquals("`mtu' must be between 68 and 65535, not 65536", error("mtu=65536"));
        assertEquals("`devid' must be between 0 and 2147483647, not 2147483648", error("devid=2147483648"));
        assertEquals("config parsing error in vif: invalid rate in `10Mbit/s'", error("rate=10Mbit/s"));
    }
}
