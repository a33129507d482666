package org.hvsim.tools.xlcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.hvsim.proto.control.CpuSet;
import org.hvsim.proto.control.DomainConfig;
import org.junit.jupiter.api.Test;

/**
 * The expected texts follow libxl's generated JSON (libxl_types.idl order, defaults left out, nested
 * structs always present) written by yajl's beautifier (four spaces, "key": value, blank line inside
 * an empty map, newline at the end).
 */
class DomainConfigJsonTest {

    @Test
    void xlCreateDryRunOfThePvExample() throws Exception {
        DomainConfig c = XlConfigLoader.load(XlExamples.file("xlexample.pvlinux"), List.of()).config();
        assertEquals("""
                {
                    "domid": null,
                    "config": {
                        "c_info": {
                            "type": "pv",
                            "name": "example.pvlinux"
                        },
                        "b_info": {
                            "max_vcpus": 2,
                            "avail_vcpus": [
                                0,
                                1
                            ],
                            "max_memkb": 131072,
                            "target_memkb": 131072,
                            "sched_params": {

                            },
                            "kernel": "/boot/vmlinuz",
                            "cmdline": "root=/dev/xvda1",
                            "type.pv": {

                            },
                            "arch_arm": {

                            },
                            "arch_x86": {

                            }
                        },
                        "disks": [
                            {
                                "pdev_path": "/dev/vg/guest-volume",
                                "vdev": "xvda",
                                "format": "raw",
                                "readwrite": 1
                            }
                        ],
                        "nics": [
                            {
                                "devid": 0
                            }
                        ],
                        "on_reboot": "restart",
                        "on_soft_reset": "soft_reset"
                    }
                }
                """, DomainConfigJson.object(c, null));
    }

    @Test
    void everyModelledFieldInLibxlsShape() throws Exception {
        DomainConfig c = XlConfigLoader.parse("""
                name = "web"
                uuid = "6ca6bda1-9f4b-4c8d-8b6e-3f2a1d0c9b8a"
                type = "hvm"
                memory = 256
                maxmem = 512
                vcpus = 1
                maxvcpus = 2
                cpus = ["0-1", "all,^3"]
                cpus_soft = "2"
                cpu_weight = 512
                cap = 50
                pool = "p1"
                kernel = "k"
                ramdisk = "r"
                cmdline = "c"
                bootloader = "b"
                seclabel = "s"
                max_grant_frames = 32
                max_maptrack_frames = 64
                max_event_channels = 127
                on_poweroff = "preserve"
                on_crash = "coredump-destroy"
                disk = [ 'vdev=hdc,cdrom', '/x,qcow2,xvdb,backend=d1,backendtype=qdisk,script=s,direct-io-safe,discard,specification=virtio,untrusted,grant_usage=0' ]
                vif = [ 'mac=00:16:3e:00:00:01,bridge=br,ip=1.2.3.4,script=vs,backend=d2,vifname=v0,type=ioemu,model=e1000,rate=1MB/s@20ms,mtu=9000,gatewaydev=eth0,devid=5' ]
                """, "web.cfg", List.of()).config();
        assertEquals("""
                {
                    "domid": 7,
                    "config": {
                        "c_info": {
                            "type": "hvm",
                            "ssid_label": "s",
                            "name": "web",
                            "uuid": "6ca6bda1-9f4b-4c8d-8b6e-3f2a1d0c9b8a",
                            "pool_name": "p1"
                        },
                        "b_info": {
                            "max_vcpus": 2,
                            "avail_vcpus": [
                                0
                            ],
                            "vcpu_hard_affinity": [
                                [
                                    0,
                                    1
                                ],
                                "all,^3"
                            ],
                            "vcpu_soft_affinity": [
                                [
                                    2
                                ],
                                [
                                    2
                                ]
                            ],
                            "max_memkb": 524288,
                            "target_memkb": 262144,
                            "max_grant_frames": 32,
                            "max_maptrack_frames": 64,
                            "sched_params": {
                                "weight": 512,
                                "cap": 50
                            },
                            "event_channels": 127,
                            "kernel": "k",
                            "cmdline": "c",
                            "ramdisk": "r",
                            "bootloader": "b",
                            "type.hvm": {
                                "vga": {

                                },
                                "vnc": {

                                },
                                "sdl": {

                                },
                                "spice": {

                                },
                                "rdm": {

                                }
                            },
                            "arch_arm": {

                            },
                            "arch_x86": {

                            }
                        },
                        "disks": [
                            {
                                "vdev": "hdc",
                                "format": "empty",
                                "removable": 1,
                                "is_cdrom": 1
                            },
                            {
                                "backend_domname": "d1",
                                "pdev_path": "/x",
                                "vdev": "xvdb",
                                "backend": "qdisk",
                                "format": "qcow2",
                                "script": "s",
                                "readwrite": 1,
                                "direct_io_safe": true,
                                "discard_enable": "True",
                                "specification": "virtio",
                                "trusted": "False",
                                "grant_usage": "False"
                            }
                        ],
                        "nics": [
                            {
                                "backend_domname": "d2",
                                "devid": 5,
                                "mtu": 9000,
                                "model": "e1000",
                                "mac": "00:16:3e:00:00:01",
                                "ip": "1.2.3.4",
                                "bridge": "br",
                                "ifname": "v0",
                                "script": "vs",
                                "nictype": "vif_ioemu",
                                "rate_bytes_per_interval": 20000,
                                "rate_interval_usecs": 20000,
                                "gatewaydev": "eth0"
                            }
                        ],
                        "on_poweroff": "preserve",
                        "on_reboot": "restart",
                        "on_crash": "coredump_destroy",
                        "on_soft_reset": "soft_reset"
                    }
                }
                """, DomainConfigJson.object(c, 7));
    }

    @Test
    void stringsAreEscapedAsYajlDoes() {
        DomainConfig c = DomainConfig.newBuilder().setName("a\"b\\c\nd\te\u0001/é").build();
        String json = DomainConfigJson.object(c, 1);
        assertEquals("            \"name\": \"a\\\"b\\\\c\\nd\\te\\u0001/é\"",
                json.lines().filter(l -> l.contains("\"name\"")).findFirst().orElseThrow());
    }

    @Test
    void xlListLongIsAnArrayOfDomains() {
        DomainConfig dom0 = DomainConfig.newBuilder().setName("Domain-0").setMaxVcpus(1).setVcpus(1)
                .addCpus(CpuSet.newBuilder().setAll(true)).build();
        DomainConfig empty = DomainConfig.getDefaultInstance();
        List<Map.Entry<Integer, DomainConfig>> domains =
                List.of(Map.entry(0, dom0), new AbstractMap.SimpleEntry<>(null, empty));
        assertEquals("""
                [
                    {
                        "domid": 0,
                        "config": {
                            "c_info": {
                                "name": "Domain-0"
                            },
                            "b_info": {
                                "max_vcpus": 1,
                                "avail_vcpus": [
                                    0
                                ],
                                "vcpu_hard_affinity": [
                                    "all"
                                ],
                                "sched_params": {

                                },
                                "type.invalid": {

                                },
                                "arch_arm": {

                                },
                                "arch_x86": {

                                }
                            }
                        }
                    },
                    {
                        "domid": null,
                        "config": {
                            "c_info": {

                            },
                            "b_info": {
                                "sched_params": {

                                },
                                "type.invalid": {

                                },
                                "arch_arm": {

                                },
                                "arch_x86": {

                                }
                            }
                        }
                    }
                ]

                """, DomainConfigJson.array(domains));
        assertEquals("[\n\n]\n\n", DomainConfigJson.array(List.of()));
    }
}
