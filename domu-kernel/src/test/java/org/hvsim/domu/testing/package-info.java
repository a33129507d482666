/** Test support: this module's kernel packed into a jar, and a console reader that plays xenconsoled. */
package org.hvsim.domu.testing;
