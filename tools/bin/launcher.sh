# shellcheck shell=sh
# Sourced by tools/bin/xl, tools/bin/hvsim, tools/bin/lsevtchn and tools/bin/schedsim once they have set
# hvsim_bin_dir (their own directory, symlinks resolved). Selects a JDK 25 (.mvn/select-jdk.sh), finds the
# distribution tools/target/hvsim (building it once if it is missing), and defines the JVM flags and the class path.
#
# Environment:
#   HVSIM_CLASSPATH  run from this class path instead of the distribution (no build, no AOT cache)
#   HVSIM_AOT        auto (default): use xl's AOT cache, training it in the background when the jars
#                    changed; sync: train in the foreground first; off: neither
hvsim_root=$(cd "$hvsim_bin_dir/../.." && pwd -P) || exit 1
. "$hvsim_root/.mvn/select-jdk.sh"
hvsim_dist=$hvsim_root/tools/target/hvsim
hvsim_lib=$hvsim_dist/lib

# The root pom's hvsim.jvm.flags: every hvsim JVM runs with them (the hypervisor that hvsim starts too).
HVSIM_JVM_FLAGS="--add-opens=java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
# For the short-lived command-line JVMs only: C1 alone, the serial collector, a small heap, no perf data
# file, and JVM warnings on stderr (by default they go to stdout, into xl's output).
hvsim_cli_flags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms16m -Xmx256m -XX:-UsePerfData -Xlog:disable -Xlog:all=warning:stderr"

# Sets hvsim_classpath, building the distribution first if it is missing. Concurrent launchers build once:
# the first takes a lock directory, the others wait for it.
hvsim_prepare_classpath() {
    if [ -n "${HVSIM_CLASSPATH:-}" ]; then
        hvsim_classpath=$HVSIM_CLASSPATH
        return 0
    fi
    hvsim_classpath="$hvsim_lib/*"
    hvsim_dist_complete && return 0
    mkdir -p "$hvsim_root/tools/target" || exit 1
    hvsim_build_lock=$hvsim_root/tools/target/.dist-build.lock
    if mkdir "$hvsim_build_lock" 2>/dev/null; then
        trap 'rmdir "$hvsim_build_lock" 2>/dev/null; exit 130' INT TERM HUP
        echo "hvsim: building the distribution tools/target/hvsim once (./mvnw -q -B -DskipTests package)" >&2
        (cd "$hvsim_root" && ./mvnw -q -B -DskipTests package) >&2
        hvsim_build_rc=$?
        rmdir "$hvsim_build_lock"
        trap - INT TERM HUP
        if [ "$hvsim_build_rc" -ne 0 ]; then
            echo "hvsim: the build failed (exit $hvsim_build_rc)" >&2
            exit 1
        fi
    else
        echo "hvsim: waiting for another launcher's build of tools/target/hvsim" >&2
        hvsim_waited=0
        while [ -d "$hvsim_build_lock" ] && [ "$hvsim_waited" -lt 1800 ]; do
            sleep 1
            hvsim_waited=$((hvsim_waited + 1))
        done
    fi
    if ! hvsim_dist_complete; then
        echo "hvsim: no distribution in $hvsim_dist; build it with ./mvnw -q -B -DskipTests package" >&2
        exit 1
    fi
}

# True if the distribution has its lib directory with the tools jar in it.
hvsim_dist_complete() {
    set -- "$hvsim_lib"/tools-*.jar
    [ -f "$1" ]
}

# True if file $1 exists and is newer than the lib directory and everything in it.
hvsim_fresh() {
    [ -e "$1" ] || return 1
    [ "$hvsim_lib" -nt "$1" ] && return 1
    for hvsim_jar in "$hvsim_lib"/*; do
        [ "$hvsim_jar" -nt "$1" ] && return 1
    done
    return 0
}

# Sets hvsim_aot_flags for the CLI named $1 (xl), whose training main is $2: the AOT cache and netty's
# unpacked epoll library when both are newer than every jar; otherwise none, and a training run is
# started (in the background, or first with HVSIM_AOT=sync) unless one is running or has failed for
# these jars. A cache is written under a temporary name and renamed into place, so concurrent
# launchers see either no cache or a whole one.
hvsim_prepare_aot() {
    hvsim_aot_flags=
    [ -n "${HVSIM_CLASSPATH:-}" ] && return 0
    [ "${HVSIM_AOT:-auto}" = off ] && return 0
    hvsim_aot_dir=$hvsim_dist/aot
    hvsim_jdk=${JAVA_HOME%/}
    hvsim_jdk=${hvsim_jdk##*/}
    hvsim_aot_cache=$hvsim_aot_dir/$1-$hvsim_jdk.aot
    hvsim_aot_native=$hvsim_aot_dir/$1-$hvsim_jdk.native
    if ! hvsim_fresh "$hvsim_aot_cache"; then
        hvsim_train "$@"
    fi
    if hvsim_fresh "$hvsim_aot_cache"; then
        hvsim_aot_flags="-XX:AOTCache=$hvsim_aot_cache"
        if [ -d "$hvsim_aot_native" ]; then
            hvsim_aot_flags="$hvsim_aot_flags -Djava.library.path=$hvsim_aot_native"
        fi
    fi
}

hvsim_train() {
    mkdir -p "$hvsim_aot_dir" 2>/dev/null || return 0
    hvsim_aot_lock=$hvsim_aot_dir/$1-$hvsim_jdk.lock
    hvsim_aot_failed=$hvsim_aot_dir/$1-$hvsim_jdk.failed
    hvsim_fresh "$hvsim_aot_failed" && return 0
    # A lock older than ten minutes was left by a training run that died.
    if [ -d "$hvsim_aot_lock" ] && [ -n "$(find "$hvsim_aot_lock" -prune -mmin +10 2>/dev/null)" ]; then
        rmdir "$hvsim_aot_lock" 2>/dev/null
    fi
    mkdir "$hvsim_aot_lock" 2>/dev/null || return 0
    if [ "${HVSIM_AOT:-auto}" = sync ]; then
        echo "hvsim: training $1's startup cache for these jars (once)" >&2
        hvsim_train_run "$@"
    else
        # In the background: a hang-up of xl's terminal must not stop it (Ctrl-C does not reach it anyway).
        (trap '' HUP; hvsim_train_run "$@") </dev/null >/dev/null 2>&1 &
    fi
}

hvsim_train_run() {
    hvsim_tmp=$hvsim_aot_dir/$1-$hvsim_jdk.$$.tmp
    # shellcheck disable=SC2086 # the flag lists are meant to split into words
    if "$JAVA_HOME/bin/java" $HVSIM_JVM_FLAGS $hvsim_cli_flags -XX:AOTCacheOutput="$hvsim_tmp.aot" \
            -cp "$hvsim_lib/*" "$2" --native-dir "$hvsim_tmp.native" >"$hvsim_aot_dir/$1-training.log" 2>&1 \
            && [ -f "$hvsim_tmp.aot" ]; then
        rm -rf "$hvsim_aot_native"
        mv "$hvsim_tmp.native" "$hvsim_aot_native"
        mv -f "$hvsim_tmp.aot" "$hvsim_aot_cache"
        rm -f "$hvsim_aot_failed"
        for hvsim_old in "$hvsim_aot_dir/$1"-*.aot; do
            [ "$hvsim_old" = "$hvsim_aot_cache" ] || rm -f "$hvsim_old"
        done
    else
        rm -rf "$hvsim_tmp.aot" "$hvsim_tmp.native"
        : >"$hvsim_aot_failed"
    fi
    rmdir "$hvsim_aot_lock"
}
