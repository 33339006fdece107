/* relay_floor.c: the kernel floor of the gateway's media path — a minimal epoll relay with no framing or JSON.
 *
 * N "calls", each two loopback TCP pairs: caller <-> relay <-> agent. A driver thread writes one 300-byte
 * message per call every 20 ms on the caller side; the agent side echoes; the relay moves bytes both ways
 * with one recv and one send per message, exactly the syscall pattern of patchbay's media path. The relay
 * runs on one thread; its CPU time per call-second is what any design built on per-message TCP
 * syscalls pays on this machine. usage: relay_floor CALLS SECONDS
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum { MSG = 300 };
static int ncalls, seconds;
static int *callerOut, *agentOut; /* driver-side ends */
static int *relayCaller, *relayAgent; /* relay-side ends */
static volatile int stop;

static void pairTcp(int lst, int* a, int* b)
{
    struct sockaddr_in addr; socklen_t len = sizeof addr;
    getsockname(lst, (struct sockaddr*)&addr, &len);
    *a = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(*a, (struct sockaddr*)&addr, sizeof addr) != 0) { perror("connect"); exit(1); }
    *b = accept(lst, NULL, NULL);
    int one = 1;
    setsockopt(*a, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(*b, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static double cpuSeconds(int who)
{
    struct rusage ru; getrusage(who, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void* relay(void* arg)
{
    (void)arg;
    int ep = epoll_create1(0);
    for (int i = 0; i < ncalls; ++i)
    {
        struct epoll_event e = {.events = EPOLLIN};
        e.data.u64 = (unsigned long)i * 2; epoll_ctl(ep, EPOLL_CTL_ADD, relayCaller[i], &e);
        e.data.u64 = (unsigned long)i * 2 + 1; epoll_ctl(ep, EPOLL_CTL_ADD, relayAgent[i], &e);
    }
    char buf[65536];
    struct epoll_event ev[256];
    double t0 = cpuSeconds(RUSAGE_THREAD);
    while (!stop)
    {
        int n = epoll_wait(ep, ev, 256, 100);
        for (int k = 0; k < n; ++k)
        {
            int i = (int)(ev[k].data.u64 / 2), fromAgent = (int)(ev[k].data.u64 & 1);
            int in = fromAgent ? relayAgent[i] : relayCaller[i], out = fromAgent ? relayCaller[i] : relayAgent[i];
            ssize_t r = recv(in, buf, sizeof buf, 0);
            if (r > 0) send(out, buf, (size_t)r, MSG_NOSIGNAL);
        }
    }
    double used = cpuSeconds(RUSAGE_THREAD) - t0;
    printf("relay: %d calls, %.3f CPU-ms per call-second\n", ncalls, used * 1000 / (ncalls * (double)seconds));
    return NULL;
}

static void* agentEcho(void* arg)
{
    (void)arg;
    int ep = epoll_create1(0);
    for (int i = 0; i < ncalls; ++i)
    {
        struct epoll_event e = {.events = EPOLLIN, .data.u64 = (unsigned long)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, agentOut[i], &e);
    }
    char buf[65536];
    struct epoll_event ev[256];
    while (!stop)
    {
        int n = epoll_wait(ep, ev, 256, 100);
        for (int k = 0; k < n; ++k)
        {
            int fd = agentOut[ev[k].data.u64];
            ssize_t r = recv(fd, buf, sizeof buf, 0);
            if (r > 0) send(fd, buf, (size_t)r, MSG_NOSIGNAL);
        }
    }
    return NULL;
}

int main(int argc, char** argv)
{
    if (argc < 3) { fprintf(stderr, "usage: %s CALLS SECONDS\n", argv[0]); return 2; }
    ncalls = atoi(argv[1]); seconds = atoi(argv[2]);
    struct rlimit rl = {65536, 65536}; setrlimit(RLIMIT_NOFILE, &rl);
    callerOut = calloc(ncalls, sizeof(int)); agentOut = calloc(ncalls, sizeof(int));
    relayCaller = calloc(ncalls, sizeof(int)); relayAgent = calloc(ncalls, sizeof(int));
    int lst = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(lst, (struct sockaddr*)&addr, sizeof addr); listen(lst, 4096);
    for (int i = 0; i < ncalls; ++i) { pairTcp(lst, &callerOut[i], &relayCaller[i]); pairTcp(lst, &relayAgent[i], &agentOut[i]); }
    pthread_t tr, ta; pthread_create(&tr, NULL, relay, NULL); pthread_create(&ta, NULL, agentEcho, NULL);
    char msg[MSG]; memset(msg, 'x', sizeof msg);
    char sink[65536];
    struct timespec next; clock_gettime(CLOCK_MONOTONIC, &next);
    for (int tick = 0; tick < seconds * 50; ++tick)
    {
        for (int i = 0; i < ncalls; ++i) send(callerOut[i], msg, sizeof msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        for (int i = 0; i < ncalls; ++i) while (recv(callerOut[i], sink, sizeof sink, MSG_DONTWAIT) > 0) {}
        next.tv_nsec += 20000000; if (next.tv_nsec >= 1000000000) { next.tv_nsec -= 1000000000; next.tv_sec++; }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    }
    stop = 1; pthread_join(tr, NULL); pthread_join(ta, NULL);
    return 0;
}
