"""A Python farine peer, written with kombu the way the original farine.rpc calls and answers.

Used by KombuInteropTests; run by Debian's python3 with python3-kombu (scripts/services.sh).

    farine_peer.py client <amqp_uri> <service> <method> <args json> <kwargs json>
        calls service.method once and prints every reply frame it receives as one JSON line
        (the decoded body and the AMQP properties a peer reads), up to the end or the error.
    farine_peer.py server <amqp_uri> <service>
        serves add(a, b), count(n) (a generator) and fail() (raises ValueError) until killed,
        printing "ready" once it consumes and one JSON line per request it answered.
    farine_peer.py debug <amqp_uri> <exchange>
        reads one report from the queue `debug` as a tool of the original would, declaring it the
        way farine.amqp.Consumer.debug does, and prints its body as one JSON line.
"""
import json
import socket
import sys
import traceback
import types
import uuid

from kombu import Connection, Consumer, Exchange, Producer, Queue


def client(uri, service, method, args, kwargs):
    with Connection(uri) as connection:
        channel = connection.channel()
        exchange = Exchange(service, type='direct', durable=True)
        reply_queue = uuid.uuid4().hex
        queue = Queue(reply_queue, exchange, routing_key=reply_queue, exclusive=True, auto_delete=True)
        correlation_id = uuid.uuid4().hex
        finished = []

        def on_reply(body, message):
            print(json.dumps({
                'frame': body,
                'content_type': message.content_type,
                'content_encoding': message.content_encoding,
                'correlation_id': message.properties.get('correlation_id'),
                'expected_correlation_id': correlation_id,
                'exchange': message.delivery_info['exchange'],
                'routing_key': message.delivery_info['routing_key'],
                'reply_queue': reply_queue,
            }), flush=True)
            message.ack()
            if not isinstance(body, dict) or body.get('__end__') or '__except__' in body:
                finished.append(True)

        with Consumer(channel, queues=[queue], callbacks=[on_reply], accept=['json']):
            producer = Producer(channel, exchange=exchange, serializer='json')
            producer.publish({'args': args, 'kwargs': kwargs}, routing_key='%s__%s' % (service, method),
                             correlation_id=correlation_id, reply_to=reply_queue, declare=[exchange])
            while not finished:
                connection.drain_events(timeout=30)


def count(n):
    for i in range(n):
        yield i


def fail():
    raise ValueError('bad value: 42')


METHODS = {'add': lambda a, b: a + b, 'count': count, 'fail': fail}


def server(uri, service):
    with Connection(uri) as connection:
        channel = connection.channel()
        exchange = Exchange(service, type='direct', durable=True)
        queues = [Queue('%s__%s' % (service, name), exchange, routing_key='%s__%s' % (service, name), durable=True)
                  for name in METHODS]
        producer = Producer(channel, exchange=exchange, serializer='json')

        def on_request(body, message):
            method = message.delivery_info['routing_key'].split('__', 1)[1]
            properties = message.properties

            def reply(frame):
                producer.publish(frame, routing_key=properties['reply_to'],
                                 correlation_id=properties['correlation_id'])

            try:
                result = METHODS[method](*body.get('args', []), **body.get('kwargs', {}))
                if isinstance(result, types.GeneratorType):
                    for item in result:
                        reply({'body': item, '__end__': False})
                else:
                    reply({'body': result, '__end__': False})
                reply({'__end__': True})
            except Exception:
                reply({'__except__': traceback.format_exc()})
            message.ack()
            print(json.dumps({'method': method, 'request': body}), flush=True)

        with Consumer(channel, queues=queues, callbacks=[on_request], accept=['json']):
            print('ready', flush=True)
            while True:
                try:
                    connection.drain_events(timeout=1)
                except socket.timeout:
                    pass


def debug(uri, exchange_name):
    with Connection(uri) as connection:
        channel = connection.channel()
        exchange = Exchange(exchange_name, type='direct', durable=True)
        queue = Queue('debug', exchange=exchange, routing_key='debug', durable=True, auto_declare=True)
        received = []

        def on_report(body, message):
            received.append(body)
            message.ack()

        with Consumer(channel, queues=[queue], callbacks=[on_report], accept=['json']):
            while not received:
                connection.drain_events(timeout=30)
        print(json.dumps(received[0]), flush=True)


if __name__ == '__main__':
    if sys.argv[1] == 'debug':
        debug(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == 'client':
        client(sys.argv[2], sys.argv[3], sys.argv[4], json.loads(sys.argv[5]), json.loads(sys.argv[6]))
    else:
        server(sys.argv[2], sys.argv[3])
