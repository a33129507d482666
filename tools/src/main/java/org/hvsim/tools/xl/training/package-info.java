/** The workload that trains xl's AOT cache: xl's commands against a canned host on a private Unix socket. */
package org.hvsim.tools.xl.training;
