export const ARTICLE = {
  title: 'Wrenfield approves £48m tidal barrier after winter floods',
  text: [
    'By Tom Ashby, Harbour Reporter',
    'Wrenfield’s harbour council voted 9 to 2 on Tuesday to build a tidal barrier across the Calder estuary, three months after a storm surge flooded 340 homes.',
    'The £48 million scheme, drawn up by the engineering firm Ostler & Pike, will place six steel gates between the old lighthouse and the ferry slipway.',
    'Sign up for our newsletter to get the latest harbour news.',
    'Council leader Imogen Hartley said the decision was overdue. “We cannot ask families to bail out their kitchens every winter,” she told the meeting.',
    'Opponents from the fishing co-operative argued that the gates would silt up the channel and cut the catch. Its chair, Declan Morrow, said members would study the plans before deciding whether to appeal.',
    'The regional flood agency has promised to pay 60 per cent of the cost, with the rest coming from harbour dues and a loan from the national infrastructure bank.',
    'Construction is due to begin next spring and should take about three years, during which the ferry will run from a temporary pier.',
    'Residents of the flooded streets have been asked to a public meeting in the town hall on 14 January to see the final drawings.',
  ].join('\n'),
}
